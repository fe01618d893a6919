// Name pools per office, so that people in Berlin, New York and Bangalore have plausible names.
// Kept in the repository (rather than a faker locale) so the demo never changes with a dependency.

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

export interface NamePool {
  first: readonly string[];
  last: readonly string[];
}

export const BERLIN_NAMES: NamePool = {
  first: words(`
    Anna Lukas Mia Jonas Lea Felix Hannah Leon Sophie Paul Marie Finn Emilia Elias Clara Maximilian
    Lena Julian Laura Moritz Katharina Tobias Johanna Niklas Charlotte Jan Frieda Matthias Greta
    Stefan Ines Sebastian Nele Malte Yasemin Emre Zofia Tomasz Chiara Luca Jürgen Sabine Henrik Ida
    Ole Mira Anton Amelie
  `),
  last: words(`
    Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein
    Wolf Schröder Neumann Schwarz Braun Zimmermann Krüger Hartmann Lange Werner Krause Lehmann
    Köhler Maier Vogel Friedrich Yilmaz Kaya Nowak Kowalski Rossi Bianchi Jansen Lindqvist Berger
    Frank Seidel Brandt Haas Sommer Graf Kühn Pohl
  `),
};

export const NEW_YORK_NAMES: NamePool = {
  first: words(`
    James Olivia Michael Emma David Ava Daniel Isabella Matthew Sophia Christopher Abigail Andrew
    Madison Joshua Chloe Ryan Grace Brandon Natalie Tyler Samantha Marcus Jasmine Carlos Gabriela
    Diego Valentina Kevin Priya Wei Mei Jamal Aaliyah Ethan Hailey Noah Zoe Aaron Rachel Malik Tiana
    Sean Erin Jordan Kayla
  `),
  last: words(`
    Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson
    Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson
    Walker Young Allen King Chen Nguyen Kim Patel Cohen O'Brien Murphy Rivera Brooks Reed Coleman
    Hayes Foster Bennett Sullivan Price
  `),
};

export const BANGALORE_NAMES: NamePool = {
  first: words(`
    Aarav Ananya Vihaan Diya Arjun Aditi Rohan Ishita Karthik Kavya Rahul Meera Siddharth Pooja
    Vikram Sneha Aditya Nisha Pranav Shreya Rajesh Lakshmi Suresh Divya Manoj Anjali Naveen Swati
    Harish Deepa Varun Riya Abhishek Tanvi Nikhil Sanjana Gaurav Pallavi Arun Keerthi Mohan Revathi
  `),
  last: words(`
    Sharma Iyer Reddy Nair Rao Menon Gupta Krishnan Pillai Kumar Shetty Hegde Bhat Kulkarni Joshi
    Desai Mehta Agarwal Banerjee Chatterjee Mukherjee Srinivasan Subramanian Venkatesh Naidu Gowda
    Kamath Prasad Verma Singh Malhotra Kapoor Chandra Ramesh Bose Das Acharya Pai Shenoy Raman
  `),
};

export const REMOTE_NAMES: NamePool = {
  first: words(`
    Oliver Amelia Harry Isla Mateus Beatriz Sofía Pablo Lars Ingrid Agnieszka Piotr Aoife Ciarán
    Élodie Mathieu Nadia Omar Kofi Ama Liam Freya Hugo Elena Tariq Leila
  `),
  last: words(`
    Walsh Evans Hughes Silva Santos Ferreira García Moreno Andersson Hansen Wiśniewska Zieliński
    Byrne Kelly Dubois Laurent Haddad Mensah Boateng Petrov Novak Okafor Costa Murray
  `),
};

/** A login-friendly e-mail local part: ASCII, lower case, dots between names. */
export function emailLocalPart(name: string): string {
  return name
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
}
